"""An interaction measured against the standard's service-level and AHT targets."""

from __future__ import annotations

from contracts.interactions import InteractionCompleted
from contracts.scores import OperationalResult
from services.scoring.domain.standards import Standard


def score_interaction(i: InteractionCompleted, standard: Standard) -> OperationalResult:
    target = standard.service_level(i.channel, i.queue)
    short_abandon = (
        i.abandoned
        and target.variant == "exclude_short_abandons"
        and i.wait_seconds <= target.short_abandon_seconds
    )
    handle = i.handle_seconds
    band = None
    if not i.abandoned and (aht := standard.aht_band(i.channel)) is not None:
        band = (
            "short"
            if handle < aht.short_below_seconds
            else "long"
            if handle > aht.long_above_seconds
            else "normal"
        )
    return OperationalResult(
        sl_threshold_seconds=target.threshold_seconds,
        sl_variant=target.variant,
        counts_as_offered=not short_abandon,
        answered_within_threshold=not i.abandoned and i.wait_seconds <= target.threshold_seconds,
        handle_seconds=0.0 if i.abandoned else handle,
        aht_band=band,
        transferred=i.transferred,
        resolved_first_contact=None if i.abandoned else i.resolved_first_contact,
        sl_target_percent=target.target_percent,
        abandonment_target_percent=standard.abandonment_target_percent,
        fcr_target_percent=standard.fcr_target_percent,
    )
