"""An email reply set apart into what the writer wrote now and what is not theirs to be judged
on: the quoted earlier messages, the signature and the privacy/confidentiality footer. Pure.

- quoted: from the first quote header ("On ... wrote:", "-----Original Message-----",
  "From: ...") or the first line starting with ">" to the end;
- signature: from the last sign-off line ("Kind regards,", "Thanks,", "Best wishes", "--")
  before the quote to the quote (the footer that follows it included);
- footer: without a sign-off, trailing paragraphs that open like a disclaimer ("This email
  and any attachments...", "Registered in England...").
"""

from __future__ import annotations

import re

QUOTE_HEAD = re.compile(
    r"^[ \t]*(?:On\b[^\n]{4,200}?\bwrote:|-{2,}\s*Original Message\s*-{2,}|From:[ \t]\S"
    r"|>|_{8,})",
    re.I | re.M,
)
SIGN_OFF = re.compile(
    r"^[ \t]*(?:(?:(?:kind|kindest|best|warm|warmest|many)[ \t]+)?(?:regards|thanks|wishes)"
    r"|thank you|cheers|sincerely|yours[ \t]+(?:sincerely|faithfully|truly)|all the best"
    r"|best|take care|speak soon|--)[ \t]*[,.!]?[ \t]*$",
    re.I | re.M,
)
FOOTER_OPENING = re.compile(
    r"^[ \t]*(?:this (?:e-?mail|message|communication)\b|disclaimer|confidential"
    r"|the information (?:in|contained)|[^\n]{0,80}\bregistered (?:in|office)\b"
    r"|please consider the environment|we (?:process|handle) your personal (?:data|information)"
    r"|(?:our|read our) privacy (?:notice|policy) (?:is at|can be found|explains how we))",
    re.I | re.M,
)
PARAGRAPH = re.compile(r"\n[ \t]*\n")


def parts(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """[(part, start, end)] covering text[start:end]: body, then signature/footer, quoted."""
    quote = QUOTE_HEAD.search(text, start, end)
    body_end = quote.start() if quote else end
    sign_offs = [
        m for m in SIGN_OFF.finditer(text, start, body_end) if text[start : m.start()].strip()
    ]
    out: list[tuple[str, int, int]] = []
    if sign_offs:
        cut = sign_offs[-1].start()
        out = [("body", start, cut), ("signature", cut, body_end)]
    else:
        cut = _footer_start(text, start, body_end)
        out = [("body", start, cut), ("footer", cut, body_end)]
    if quote:
        out.append(("quoted", quote.start(), end))
    return [(p, a, b) for p, a, b in out if text[a:b].strip()]


def _footer_start(text: str, start: int, end: int) -> int:
    """Where trailing disclaimer paragraphs begin (end when there are none); never the first
    paragraph, so a one-paragraph message is all body."""
    breaks = [m.end() for m in PARAGRAPH.finditer(text, start, end)]
    cut = end
    for at in reversed(breaks):
        if not FOOTER_OPENING.match(text, at, end):
            break
        cut = at
    return cut
