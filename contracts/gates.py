"""The AutoQA trust gate: how far an automated criterion agrees with human evaluators of the
same interactions, and whether its answers may feed rules and alerts."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field

from contracts.common import AwareDatetime, Frozen, Id

Rate = Annotated[float, Field(ge=0, le=1)]
Kappa = Annotated[float, Field(ge=-1, le=1)]


class GateState(StrEnum):
    TRUSTED = "trusted"  # the criterion's automated answers feed rules and alerts
    UNVERIFIED = "unverified"  # shown, marked unverified, raise nothing


class GateRule(Frozen):
    """The bar: trusted only while kappa's lower confidence bound >= `kappa_bar` on at least
    `min_pairs` pairs of the window (the last `window_pairs` within `window_days`)."""

    kappa_bar: Kappa
    min_pairs: Annotated[int, Field(ge=1)]
    window_pairs: Annotated[int, Field(ge=1)]
    window_days: Annotated[float, Field(gt=0)]
    confidence: Annotated[float, Field(gt=0, lt=1)]
    unmeasured: GateState  # what a criterion is while it has fewer than `min_pairs` pairs


class Agreement(Frozen):
    """Automated vs human answers over the window. Kappa: Cohen's, with the large-sample
    (Fleiss-Cohen-Everitt) standard error; rates: Wilson intervals. None: undefined."""

    pairs: Annotated[int, Field(ge=0)]
    observed_agreement: Rate | None = None
    kappa: Kappa | None = None
    kappa_se: Annotated[float, Field(ge=0)] | None = None
    kappa_low: Kappa | None = None
    kappa_high: Kappa | None = None
    human_no: Annotated[int, Field(ge=0)] = 0  # pairs a human answered "no"
    false_pass: Annotated[int, Field(ge=0)] = 0  # ... of which AutoQA answered "yes"
    false_pass_rate: Rate | None = None
    false_pass_low: Rate | None = None
    false_pass_high: Rate | None = None
    human_yes: Annotated[int, Field(ge=0)] = 0  # pairs a human answered "yes"
    false_fail: Annotated[int, Field(ge=0)] = 0  # ... of which AutoQA answered "no"
    false_fail_rate: Rate | None = None
    false_fail_low: Rate | None = None
    false_fail_high: Rate | None = None
    first_at: AwareDatetime | None = None  # the window's oldest and newest pair
    last_at: AwareDatetime | None = None


class AutoQaGateChanged(Frozen):
    """An automated criterion's gate opened (trusted) or closed (unverified)."""

    criterion_id: Id
    scorecard_id: Id
    state: GateState
    previous: GateState
    since: AwareDatetime  # the evaluation time of the pair that changed it
    reason: Annotated[str, Field(max_length=500)]
    rule: GateRule
    agreement: Agreement
