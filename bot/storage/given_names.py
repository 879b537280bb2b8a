"""Given names for redaction (bot/storage/redact.py): a list written for this project from general knowledge of
the names common in England and Wales, for children (born since about 2005) and for the adults around
them (parents, carers, school and council staff), with the short forms people type. Not copied from
any published list. Lower case; a double-barrelled name is found by its first part ("amelia-rose").

Three lists, by how sure a capitalised word in a parent's message is a name:

- GIVEN_NAMES: practically never anything else, in any case or position ("Oliver", "priya", "AMELIA");
- WORD_NAMES: also everyday words ("Grace", "Will", "Rose"): a name when capitalised inside a sentence
  or introduced by its context ("Will has autism"), never in lower case;
- CONTEXT_NAMES: also months, seasons or subjects that people capitalise anyway ("May", "Summer",
  "Art"): a name only when the context says so ("my daughter May", "May is my daughter").
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


GIVEN_NAMES = _words(
    """
    aaliyah aarav aaron abbie abby abdul abdullah abi abigail ada adam adeel aditya adrian ahmad ahmed aidan
    aiden aimee aisha aiyana alan alana alannah albert albie alby aleena alesha alex alexa alexander alexandra
    alexis alfie alfred ali alice alicia alisha alison alistair alivia allan allie alma amaan amanda amara amari
    amelia amelie amina amir amira amna amy ana anais anaya andre andrea andrew andy aneesa angela angus anika
    anna annabel annabelle anne annie anthony antoni antonia aoife archie aria ariana arianna arjun arlo arthur
    aryan asha ashleigh ashley ashton aston athena aubree aubrey audrey aurora austin ava avery axel ayaan ayan
    ayesha ayla aylin azaan bailey barbara barney barry bea beatrice beatrix beau becca becky bella ben benedict
    benjamin benji bernard bernie beth bethan bethany betsy bianca blake bobbie bobby bodhi bonnie brandon
    brendan brian briony brodie brody brooke brooklyn bruno bryony caitlin caleb callie callum calvin cameron
    camilla cara carl carla carly carole caroline carrie carter casey cassie catherine cerys chanelle charlene
    charles charley charli charlie charlotte chelsey cheryl chloe chloé chris christian christina christine
    christopher cian ciara ciaran cillian claire clara clare claudia clementine cleo clive cody colin connie
    connor conor cooper courtney craig cristian cynthia daniel daniela danielle danny dara darcey darcie darcy
    darius darrell darren dave david dawid debbie deborah declan delilah demi denise dennis derek des dexter
    diana diane dimitri dom dominic dominik donna dora dorothy dougie douglas duncan dylan eddie edie edith
    edward edwin eesa eileen eilidh elaine eleanor elena eli elias elijah elin elisa elise eliza elizabeth ella
    elle ellen ellie elliot elliott ellis elodie eloise elsie elspeth emil emilia emiliano emily emma emmy enzo
    eric erica erin esme esmé esther ethan etta eva evan evangeline evelyn everly evie ewan ezra faisal farah
    faris fatima fatimah fearne felicity felix ffion filip finlay finley finn finnley fiona fletcher florence
    flynn fran frances francesca frankie fraser freddie freddy frederick freya frida gabriel gabriella gabrielle
    gail gareth gary gavin gemma geoff george georgie georgina gerald gethin gigi gilbert gillian gina ginny
    gordon gracie graham greg gregory greta gwen gwyneth habib hafsa hailey haleema hallie hamza hana hannah
    harley harlow harper harriet harris harrison harry harvey hasan hassan hattie hayden hayley heidi helen
    helena hendrix henrietta henry hollie howard hugh hugo humaira husna ian ibrahim idris ifeoma imani imogen
    imran inaya ines ioan ioana irene isaac isabel isabella isabelle isaiah isha ishaan isla ismail isobel issac
    ivan izaak izzy jack jackie jackson jacob jacqueline jacqui jadon jaiden jake jakub james jamie janet jared
    jasmin jason jasper jax jaxon jaxson jayden jayne jeanette jeff jemima jenna jennifer jenny jensen jenson
    jeremy jess jesse jessica jessie jez jill jim jimmy joan joanna joanne jodie joe joel joey john johnny jon
    jonah jonathan jordan jorge jose joseph josephine josh joshua josie joyce jude judith judy julia julian
    julie junaid justin kacper kai kaia kaiden kara karen karina karl kate kath katherine kathryn katie katy
    kayden kayla keeley keira keith kelly kelsey ken kenneth kerry kev kevin khadija kian kieran kim kirsty
    klaudia koa kobe kris krystal kyle kyra lacey laila lana lara larissa laura lauren layla leah leanne leila
    len lena lennie lennon lenny leo leon leonard leonardo leonie levi lewis lexi lexie liam libby lila lilah
    liliana lilly linda lisa liz lizzie lochlan logan lois lola lorcan lorenzo lorna lorraine lottie louie louis
    louisa louise luca lucas lucia lucie lucy luis luka lukas luke luna lydia lyla lyn lynn lynne lyra mabel
    mack maddie maddison madeleine madison mae maeve maggie maisie maisy maja mal malachi malak malcolm mandy
    manon marcel marcus margaret margo margot maria mariam marie marion marley marnie martha martin mary maryam
    mateo matilda matteo matthew mattie matty maureen maya meg megan melanie melissa mia micah michael michaela
    michelle mick mike mikey milan milena miley millie milo mina minnie mo mohammad mohammed mollie molly monty
    morgan muhammad mustafa mya myla myles nadia nancy naomi naseem nat natalia natalie natasha nate nathan
    nathaniel ned neil nell nellie nia niall niamh nicholas nicky nico nicola nicole nigel nikita nikola nina
    noah nora norah nyla oakley oisin olga oli oliver olivia oliwia ollie olly omar ophelia oran orla orlaith
    oscar oskar otis owen ozzy paige pam pamela patricia patrick paul paula pauline peggy penelope percy pete
    peter petra phil philip philippa phoebe pierre piotr pippa polly priya priyanka quinn rachel rafael rafe
    raffi raheem rahul raiden raj rania ravi rebecca reece reggie remi reuben rhea rhiannon rhys ricardo richard
    ricky riley rita robbie robert roberto robyn rohan romeo ron ronan ronnie rory rosa rosalie rosanna rosemary
    rosie ross rowan roxanne ruairi rubie rudy rufus rupert russ ryan sadie safa safiya sahil saira sally sam
    samantha samara sami samir samuel sana sandra sara sarah saskia scarlett scott sean sebastian seren shannon
    sharon shaun sheila shelby shirley sian siana sid siena sienna simon siobhan sofia sofie sol sonia sonny
    sophia sophie spencer stacey stan stanley stefan stella steph stephanie stephen steve steven stu stuart
    sufyan sumaya susan suzanne sylvia sylvie szymon tabitha talia tamara tanya tara tash tate tayla taylor
    teagan ted teddie tegan terence terry tess tessa thea theo theodore thomas tia tiana tilly tim timothy tina
    tobias toby tom tommy toni tony tracey tracy travis trevor trish tristan troy tyler tyrone usman val
    valentina vanessa vicky victor victoria vince vincent vinnie warren wayne wendy wes wiktoria wilbur wilf
    wilfred william wilson winnie xander xavier yahya yasmin yasmine yousef yusuf yvette yvonne zac zach zachary
    zack zain zainab zak zander zara zayn zayne zeb zeynep ziggy zoe zofia zoë zuzanna
    """
)

WORD_NAMES = _words(
    """
    amber angel archer ash bill billie bob briar buddy carol chase cliff crystal daisy dale dawn dean destiny
    dolly don drew eden ember eve fern frank gene gill glen grace grant harmony hazel heather holly honey hope
    hunter indie iris ivy jade jasmine jay jean joy liberty lily mark mason melody miles nick noel olive pat
    pearl penny piper pixie poppy primrose ray rich river rob robin rocky rod rose ruby sandy scarlet skye sue
    sully sunny teddy violet wade will willow wren
    """
)

CONTEXT_NAMES = _words(
    """
    april art august autumn charity duke earl elsa faith jan june king lincoln max may prince roman star summer
    """
)
