"""Trained model versions: the active one scores new pairs; every one stays for the record."""

from __future__ import annotations

import threading
import time
import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from matching.model import MatchModel
from service.tables import ModelVersion


def save_active_model(session: Session, *, model: MatchModel, trained_on: dict[str, Any]) -> None:
    """Store a model version and make it the active one (in the caller's transaction)."""
    session.execute(sa.update(ModelVersion).values(active=False))
    existing = session.exec(
        select(ModelVersion).where(ModelVersion.version == model.version)
    ).first()
    if existing is None:
        existing = ModelVersion(
            version=model.version, parameters=model.parameters(), trained_on=trained_on
        )
    existing.active = True
    session.add(existing)


def _active_row(session: Session) -> ModelVersion | None:
    return session.exec(select(ModelVersion).where(col(ModelVersion.active).is_(True))).first()


def active_parameters(session: Session) -> dict[str, Any] | None:
    row = _active_row(session)
    return row.parameters if row is not None else None


def active_trained_on(session: Session) -> dict[str, Any] | None:
    """What the active model was trained on (sample and registry sizes); None: untrained."""
    row = _active_row(session)
    return row.trained_on if row is not None else None


def model_from_parameters(base: MatchModel, parameters: dict[str, Any]) -> MatchModel:
    """The base model with the stored m, u and prior."""
    comparisons = parameters.get("comparisons", {})
    m = {c: {lv: float(v["m"]) for lv, v in levels.items()} for c, levels in comparisons.items()}
    u = {c: {lv: float(v["u"]) for lv, v in levels.items()} for c, levels in comparisons.items()}
    return base.with_parameters(m=m, u=u, prior=float(parameters.get("prior", base.prior)))


_active: weakref.WeakKeyDictionary[Engine, tuple[float, MatchModel]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
ACTIVE_MODEL_TTL_SECONDS = 30.0


def active_model(session: Session, base: MatchModel) -> MatchModel:
    """The active trained model, or `base` when none was trained; re-read every 30 s."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    now = time.monotonic()
    with _lock:
        cached = _active.get(engine)
        if cached is not None and now - cached[0] < ACTIVE_MODEL_TTL_SECONDS:
            return cached[1]
    parameters = active_parameters(session)
    model = base if parameters is None else model_from_parameters(base, parameters)
    with _lock:
        _active[engine] = (now, model)
    return model


def forget_active_model(engine: Engine) -> None:
    """Make the next lookup read the database (after training in this process)."""
    with _lock:
        _active.pop(engine, None)
