"""The checker's HTTP side, called by the web chat channel after its website, rate and token checks.

    GET  /webhooks/webchat/documents/kinds    the kinds of letter the parent can choose
    POST /webhooks/webchat/documents/check?check=plan|letter&letter=<kind>&format=json|docx|txt[&filename=...]

The POST body is the document itself: pasted text (`Content-Type: text/plain`) or the uploaded file's
bytes (any other type, with `filename`). It is read only after the channel's checks, never more than
the upload limit, into memory, and dropped when the reply is sent: nothing is written to the
conversation, a file or the log (a failure logs the exception's type only). The checklist download is
the same request with `format=docx` or `format=txt`: the browser sends the text again rather than the
server keeping it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path

from sanic import response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.documents.checklist import as_json, checklist_docx, checklist_text
from bot.documents.reading import MAX_UPLOAD_BYTES, TOO_LARGE, DocumentProblem
from bot.documents.service import current_rules, document_text, letter_kinds, run_check

logger = logging.getLogger(__name__)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"json": "", "docx": DOCX_TYPE, "txt": "text/plain; charset=utf-8"}
BAD_REQUEST = DocumentProblem("bad_request", "Sorry, that didn't work. Please paste the text again and try once more.")
FAILED = DocumentProblem("failed", "Sorry, something went wrong while checking. Nothing was kept. Please try again.")
FILENAMES = {"plan": "ehc-plan-checklist", "letter": "letter-checklist"}


def _json(body: dict, status: int = 200) -> HTTPResponse:
    return response.HTTPResponse(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status=status,
        headers={"Cache-Control": "no-store"},
        content_type="application/json; charset=utf-8",
    )


def problem_response(problem: DocumentProblem, status: int = 422) -> HTTPResponse:
    """The same shape as the channel's refusals, so the widget shows it the same way."""
    return _json({"messages": [{"text": problem.message, "buttons": []}], "error": problem.kind}, status)


async def read_body(request: Request) -> bytes:
    """The document, read now and never more than MAX_UPLOAD_BYTES (the route streams)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise BAD_REQUEST.again()
    if int(declared) > MAX_UPLOAD_BYTES:
        raise TOO_LARGE.again()
    if request.stream is not None:
        request.stream.request_max_size = MAX_UPLOAD_BYTES
    try:
        await request.receive_body()
    except PayloadTooLarge:
        raise TOO_LARGE.again() from None
    return bytes(request.body or b"")


async def respond(request: Request, action: str, knowledge_dir: Path, refresh_seconds: float, today: dt.date):
    rules = current_rules(knowledge_dir, refresh_seconds)
    if action == "kinds" and request.method == "GET":
        return _json({"letters": letter_kinds(rules)})
    if action != "check" or request.method != "POST":
        return problem_response(BAD_REQUEST, 404)
    output = request.args.get("format", "json")
    check = request.args.get("check", "")
    try:
        if output not in FORMATS:
            raise BAD_REQUEST.again()
        body = await read_body(request)
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "text/plain":
            try:
                pasted = body.decode("utf-8")
            except UnicodeDecodeError:
                raise BAD_REQUEST.again() from None
            text = document_text(pasted, None)
        else:
            text = await asyncio.to_thread(document_text, None, body, request.args.get("filename", ""))
        del body
        checklist = await asyncio.to_thread(run_check, rules, check, text, request.args.get("letter", ""))
        del text
    except DocumentProblem as problem:
        return problem_response(problem, 413 if problem.kind == "too_large" else 422)
    except Exception as exc:  # never the document: only what kind of failure it was
        logger.error("documents: a check failed (%s)", type(exc).__name__)
        return problem_response(FAILED, 500)
    if output == "json":
        return _json(as_json(checklist))
    build = checklist_docx if output == "docx" else checklist_text
    content = await asyncio.to_thread(build, checklist, today)
    filename = f"{FILENAMES.get(check, 'checklist')}.{output}"
    return response.raw(
        content,
        content_type=FORMATS[output],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
