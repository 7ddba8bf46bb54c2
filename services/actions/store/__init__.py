"""All of the actions schema's SQL, one module per table family. `Store.on(conn)` binds the
families to one connection, so everything a caller does through it shares its transaction."""

from __future__ import annotations

from dataclasses import dataclass

from services.actions.store.actions import Actions
from services.actions.store.alerts import Alerts
from services.actions.store.base import Db
from services.actions.store.deliveries import Deliveries
from services.actions.store.observations import Observations
from services.actions.store.outbox import Outbox


@dataclass(frozen=True, slots=True)
class Store:
    observations: Observations
    actions: Actions
    outbox: Outbox
    alerts: Alerts
    deliveries: Deliveries

    @classmethod
    def on(cls, db: Db) -> Store:
        """A connection (inside the caller's transaction) or a pool (single reads)."""
        return cls(Observations(db), Actions(db), Outbox(db), Alerts(db), Deliveries(db))
