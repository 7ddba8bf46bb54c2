"""Natural wording (`--wording natural`): the same behaviours shown or missed, said the way
agents talk — chat in short lines, emails with a sign-off, a footer and the customer's message
quoted. Written apart from the scorecard's exemplars and from the AutoQA benchmark's corpus
(bench/autoqa/corpus), so the detection-quality test measures AutoQA on words it has not been
tuned on. Pure."""

from __future__ import annotations

import random

from simulator.transcripts import ISSUES, PII

GREETING = {
    "voice": (
        "Hey, thanks for ringing, it's {name}.",
        "Good morning! {name} on the line.",
        "Hello and good afternoon, you're speaking with {name}.",
    ),
    "chat": ("hi hi, {name} from customer care 🙂", "Hey there! {name} here."),
    "email": ("Good day to you,", "Hi, and thanks for writing in,"),
}
NO_GREETING = {"voice": ("Customer services.",), "chat": ("{name}.",), "email": ("Re your email.",)}
RECORDING = {
    "voice": (
        "Quick note before we start, we record calls so we can train the team.",
        "Heads up, this call's recorded.",
    ),
    "chat": ("Just so you know, we save chat transcripts for training.",),
    "email": ("We keep a record of this conversation, as our privacy policy describes.",),
}
IDENTITY = {
    "voice": (
        "Could I get your date of birth and the first line of your address?",
        "For security, what's the postcode on your account?",
    ),
    "chat": ("can you confirm your postcode and DOB for security pls",),
    "email": ("Please reply with your date of birth and postcode so I can confirm it's you.",),
}
EMPATHY = (
    "Oh no, I'm really sorry, that's not what you want to hear.",
    "That's a real pain, sorry about that.",
    "Gosh, I can see why that's got you worried.",
)
RESOLUTION = (
    "I've taken the extra charge off, you'll see it back in three to five days.",
    "I've put a new engineer appointment in for Thursday morning.",
    "The refund has gone through now.",
)
NO_RESOLUTION = ("Honestly, I'm not sure what's happened there.",)
OWNERSHIP = (
    "I'll keep an eye on this personally and give you a ring on Friday.",
    "Don't worry, I'll chase it for you.",
    "I'm going to stay on this until it's fixed.",
)
SUMMARY = (
    "Okay, so just to round up, we've looked at the account together today.",
    "Right, quick summary of today, we went through the questions you had.",
)
ANYTHING_ELSE = (
    "Is there anything more I can sort for you today?",
    "Anything else on your list?",
    "What else can I help you with while you're through?",
)
LOOKING = (
    "Okay, let me pull that up.",
    "One sec, just loading it.",
)
FOOTER = (
    "Acme Services Ltd is registered in England and Wales. This email is confidential and "
    "meant for the named recipient only. Our privacy notice explains how we use your data."
)


def transcript(
    rng: random.Random,
    queue: str,
    agent_name: str,
    shows: dict[str, bool],
    resolved: bool,
    channel: str = "voice",
) -> str:
    """One conversation in natural wording; `shows[b]`: whether the agent showed `b`."""
    pick = rng.choice
    style = channel if channel in GREETING else "voice"
    opening = [
        pick(GREETING[style] if shows["greeting"] else NO_GREETING[style]).format(name=agent_name)
    ]
    if shows["data-protection-statement"]:
        opening.append(pick(RECORDING[style]))
    if shows["identity-verification"]:
        opening.append(pick(IDENTITY[style]))
    middle = [pick(LOOKING)]
    if shows["empathy"]:
        middle.append(pick(EMPATHY))
    resolves = shows["resolution-or-next-steps"] and resolved
    middle.append(pick(RESOLUTION) if resolves else pick(NO_RESOLUTION))
    if shows["ownership"]:
        middle.append(pick(OWNERSHIP))
    closing = [pick(SUMMARY)] if shows["summary"] else []
    if shows["anything-else"]:
        closing.append(pick(ANYTHING_ELSE))
    issue = pick(ISSUES.get(queue, ISSUES["billing"])) + pick(PII).format(n=rng.randint(0, 999))
    if style == "email":
        body = "\n\n".join([opening[0], " ".join(opening[1:] + middle), " ".join(closing)])
        reply = f"{body.strip()}\n\nBest wishes,\n{agent_name}\nCustomer Team\n\n{FOOTER}"
        quoted = f"On Monday, a customer wrote:\n> {issue}"
        return f"Agent: {reply}\n\n{quoted}"
    if style == "chat":
        turns = [f"Customer: {issue}", *(f"Agent: {line}" for line in opening)]
        turns += ["Customer: ok", *(f"Agent: {line}" for line in middle)]
        turns += ["Customer: right", *(f"Agent: {line}" for line in closing)]
        turns += ["Customer: no thats all thanks", "Agent: take care!"]
        return "\n".join(turns)
    return " ".join(
        [
            "Agent: " + " ".join(opening),
            "Customer: " + issue,
            "Agent: " + " ".join(middle),
            "Customer: Okay, thanks.",
            "Agent: " + " ".join([*closing, "Thanks for your time."]),
            "Customer: That's all, cheers.",
            "Agent: Lovely, take care.",
        ]
    )
