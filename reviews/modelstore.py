"""Versioned trained models: each training is kept, one is active, the one before it is a rollback.

A version is a folder of ``MODEL_DIR`` holding the check-worthiness model, the flag scorer,
the claim-match model and the cross-validated figures measured before it was switched on.
``active.json`` names the active version and the versions active before it, newest last. No database: the
models are files, and every web process applies the active one when it starts.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .rules.scorer import use_scorer
from .textproc import matchmodel
from .textproc.model import use_model

CHECKWORTHINESS = "checkworthiness.json.gz"
FLAG_SCORER = "flag_scorer.json"
MATCH_MODEL = "match_model.json"
METRICS = "metrics.json"
_NAME = re.compile(r"^v\d{4,}$")


class ModelStoreError(Exception):
    """A request the store cannot honour; the message says why."""


@dataclass(frozen=True)
class ModelStore:
    root: Path

    @property
    def _state_path(self) -> Path:
        return self.root / "active.json"

    def _state(self) -> dict:
        if not self._state_path.exists():
            return {"active": None, "previous": []}
        return json.loads(self._state_path.read_text(encoding="utf-8"))

    def _write_state(self, state: dict) -> None:
        tmp = self._state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1) + "\n", encoding="utf-8")
        tmp.replace(self._state_path)  # atomic: a reader never sees half a file

    def versions(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if p.is_dir() and _NAME.match(p.name))

    def active(self) -> str | None:
        return self._state()["active"]

    def metrics(self, version: str) -> dict:
        return json.loads((self.root / version / METRICS).read_text(encoding="utf-8"))

    def new_version(self) -> Path:
        """A fresh, empty version folder (v0001, v0002, …)."""
        self.root.mkdir(parents=True, exist_ok=True)
        existing = self.versions()
        number = int(existing[-1][1:]) + 1 if existing else 1
        path = self.root / f"v{number:04d}"
        path.mkdir()
        return path

    def activate(self, version: str) -> None:
        folder = self.root / version
        if version not in self.versions() or not (folder / CHECKWORTHINESS).exists():
            raise ModelStoreError(f"no complete model version {version!r} in {self.root}")
        state = self._state()
        if state["active"] == version:
            raise ModelStoreError(f"{version} is already active")
        self._apply(version)
        if state["active"]:
            state["previous"].append(state["active"])
        state["active"] = version
        self._write_state(state)

    def rollback(self) -> str | None:
        """Switch back to the version active before this one (None: the shipped models)."""
        state = self._state()
        if state["active"] is None:
            raise ModelStoreError("the shipped models are in use: nothing to roll back")
        version = state["previous"].pop() if state["previous"] else None
        self._apply(version)
        state["active"] = version
        self._write_state(state)
        return version

    def _apply(self, version: str | None) -> None:
        if version is None:
            use_model(None)
            use_scorer(None)
            matchmodel.use_model(None)
            return
        folder = self.root / version
        use_model(folder / CHECKWORTHINESS)
        use_scorer(folder / FLAG_SCORER)
        # A version trained before claim matching learned keeps the shipped match model.
        matchmodel.use_model(folder / MATCH_MODEL if (folder / MATCH_MODEL).exists() else None)

    def apply(self) -> None:
        """Score with the active version (at start-up)."""
        self._apply(self.active())
