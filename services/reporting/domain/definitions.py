"""KPI definitions: the one place formulas live. Migrations write these into the views'
column comments, the read API and the docs quote them, so nobody has to ask which formula."""

from __future__ import annotations

KPI: dict[str, str] = {
    "offered": "Contacts offered to the queue (answered + abandoned).",
    "answered": "Contacts answered by an agent.",
    "abandoned": "Contacts abandoned while waiting.",
    "answered_within_threshold": "Answered contacts whose wait was <= the standard's "
    "service-level threshold for the channel/queue.",
    "service_level_pct": "Service level = answered within threshold / contacts offered, x100. "
    "Variant per standard: 'offered' counts every offered contact; 'exclude_short_abandons' "
    "(default for voice) drops contacts abandoned within the grace period (5 s) from the "
    "denominator. The variant used is recorded per interaction (sl_variant).",
    "asa_seconds": "Average speed of answer = total wait of answered contacts / answered.",
    "aht_seconds": "Average handle time = (talk + hold + after-contact work) / handled contacts.",
    "hold_seconds_avg": "Average hold time per handled contact.",
    "abandonment_pct": "Abandonment rate = abandoned / offered, x100.",
    "transfer_pct": "Transfer rate = transferred / handled, x100.",
    "fcr_pct": "First-contact resolution = contacts resolved at first contact / handled "
    "contacts whose resolution is known, x100.",
    "auto_qa_score": "Automated QA score: mean of automated scorecard results (0-100, "
    "a failed critical criterion scores 0) over interactions with a transcript.",
    "qa_score": "Human QA score: mean of evaluation scores (0-100; weighted share of scorecard "
    "points; a failed critical criterion scores 0); calibration evaluations excluded.",
    "critical_fails": "Evaluations (human or automated) with a failed critical criterion.",
    "csat_pct": "CSAT = responses scoring 4 or 5 (top two boxes of 1-5) / responses with a "
    "CSAT score, x100.",
    "nps": "NPS = % promoters (9-10) - % detractors (0-6) of responses with an NPS score, "
    "-100..100.",
    "ces": "CES = mean customer-effort score (1-7, lower = less effort).",
    "complaint_resolution_hours": "Mean hours from a complaint being raised to it being "
    "resolved, over resolved complaints raised that day.",
    "complaints_per_1000": "Complaint rate = complaints raised / contacts offered x 1,000, "
    "per queue and day.",
}
