"""Who can help near the parent: the help directory (knowledge/directory/), finding the parent's council
from what they typed, and the contacts shown in "Who can help" and the adviser answer.

- `load`: reading and validating the two staff files (councils.yml, national.yml).
- `places`: matching a council, town or misspelling to a council (difflib, no extra dependency).
- `replies`: the messages, with one-tap `tel:`, `mailto:` and web links.
"""

from bot.directory.load import DIRECTORY_DIRNAME, Council, Directory, Service, load_directory
from bot.directory.places import Found, find_area

__all__ = ["DIRECTORY_DIRNAME", "Council", "Directory", "Found", "Service", "find_area", "load_directory"]
