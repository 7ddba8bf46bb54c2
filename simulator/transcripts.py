"""Templated transcripts with variation. Each behaviour present or missing maps onto one of
core-qa.yaml's AutoQA detectors (phrases within their part of the conversation); customers
volunteer personal data now and then, so ingest's redaction has something to do. Pure."""

from __future__ import annotations

import random

GREETINGS = (
    "Good morning, thank you for calling, my name is {name}.",
    "Good afternoon, thanks for calling, you're through to {name}.",
    "Hello, thank you for contacting us, {name} speaking.",
)
CHANNEL_GREETINGS = {
    "chat": (
        "Hello, thanks for contacting us on chat, you're talking to {name}.",
        "Good afternoon, thank you for contacting us, {name} here on chat.",
    ),
    "email": (
        "Hello, thank you for contacting us. My name is {name} and I'm replying to your email.",
        "Good morning and thanks for contacting us, this is {name} from the customer team.",
    ),
}
CHANNEL_RECORDING = {
    "chat": ("This chat may be recorded for quality and training.",),
    "email": ("Our privacy notice explains how we keep and use your details.",),
}
RECORDING = (
    "Before we start, this call may be recorded for quality and training purposes.",
    "Just so you know, calls are recorded for quality purposes.",
)
IDENTITY = (
    "Can I confirm your date of birth and postcode, please?",
    "Could you confirm the full name on the account and answer a security question?",
    "To verify your identity, could you give me your passcode?",
)
ISSUES = {
    "billing": (
        "I've been charged twice for my bill this month and I don't understand why.",
        "My direct debit went out early and now I'm overdrawn.",
        "The amount on my latest bill is much higher than usual.",
    ),
    "support": (
        "My broadband keeps dropping every evening since last week.",
        "The router lights are flashing red and nothing connects.",
        "I can't log into the app, it says my account is locked.",
    ),
    "chat": (
        "my order hasn't arrived and the tracking hasn't moved for days",
        "I need to change the delivery address on my order",
        "the product I received is damaged",
    ),
    "email": (
        "I am writing about a refund I was promised three weeks ago.",
        "Please update my address on your records.",
        "I would like a copy of my last three statements.",
    ),
}
PII = (
    " You can reach me on 07700 900{n:03d}.",
    " My email is sam.{n}@example.com if you need it.",
    " The card ending was 4111 1111 1111 1111.",
    " My postcode is SW1A 1AA.",
    "",
    "",
)
EMPATHY = ("I'm sorry to hear that.", "I understand how frustrating that must be.")
RESOLUTION = (
    "I've refunded the duplicate payment to your account.",
    "I've corrected the bill and credited the difference.",
    "I've reset the connection at our end and booked an engineer check.",
    "The next step is a replacement, which I will arrange today.",
)
NO_RESOLUTION = ("Let me see. That is how the system works, I'm afraid.",)
OWNERSHIP = (
    "I'll make sure it's sorted and I'll personally check it tomorrow.",
    "Leave it with me, I'll look into the account history as well.",
)
# Recaps of the conversation, not of an outcome: a transcript can show a summary without a
# resolution, and AutoQA reads meaning, so "the refund is done" would be a resolution too.
SUMMARY = (
    "To summarise, we've been through the account together and it's all noted.",
    "Just to recap, we've gone over everything you raised today.",
    "So to confirm, that covers what we discussed on this call.",
)
INVESTIGATION = (
    "Agent: Let me pull up the account and have a look at the history for you. "
    "Customer: Thanks, I've been going round in circles with this for a while now. "
    "Agent: I can see the last few transactions here and the notes from before.",
    "Agent: Bear with me while I check what happened on our side. "
    "Customer: Sure, take your time, I just want it sorted out properly this time. "
    "Agent: Okay, I can see where this went wrong in the system.",
)
FILLER = (
    "Customer: Okay, that makes sense. Agent: Good, thanks for bearing with me.",
    "Customer: Right, thanks. Agent: No problem at all.",
)
ANYTHING_ELSE = (
    "Is there anything else I can help you with today?",
    "Is there anything else you need from us?",
)
GOODBYE = "Customer: No, that's all, thanks. Agent: Thank you, have a lovely day."


def transcript(
    rng: random.Random,
    queue: str,
    agent_name: str,
    shows: dict[str, bool],
    resolved: bool,
    channel: str = "voice",
) -> str:
    """One conversation; `shows[b]` says whether the agent showed behaviour `b`."""
    pick = rng.choice
    agent: list[str] = []
    if shows["greeting"]:
        agent.append(pick(CHANNEL_GREETINGS.get(channel, GREETINGS)).format(name=agent_name))
    else:
        agent.append(f"{agent_name} here.")
    if shows["data-protection-statement"]:
        agent.append(pick(CHANNEL_RECORDING.get(channel, RECORDING)))
    if shows["identity-verification"]:
        agent.append(pick(IDENTITY))
    issue = pick(ISSUES.get(queue, ISSUES["billing"])) + pick(PII).format(n=rng.randint(0, 999))
    parts = ["Agent: " + " ".join(agent), "Customer: " + issue, pick(INVESTIGATION)]
    middle: list[str] = []
    if shows["empathy"]:
        middle.append(pick(EMPATHY))
    if shows["resolution-or-next-steps"] and resolved:
        middle.append(pick(RESOLUTION))
    else:
        middle.append(pick(NO_RESOLUTION))
    if shows["ownership"]:
        middle.append(pick(OWNERSHIP))
    parts.append("Agent: " + " ".join(middle))
    parts.append(pick(FILLER))
    closing: list[str] = []
    if shows["summary"]:
        closing.append(pick(SUMMARY))
    if shows["anything-else"]:
        closing.append(pick(ANYTHING_ELSE))
    closing.append("Thanks for your patience today.")
    parts.append("Agent: " + " ".join(closing))
    parts.append(GOODBYE)
    return " ".join(parts)
