"""Keeping a source's locations in sync, in the order a run goes: sources (what is registered),
run (one run, all or nothing), first_load (a new source: copied straight in), merge (a re-sync:
compared in SQL), with the ground changes reported through gis_service.locations.services."""

from importers.sync.run import run_summary_json, runs_fail_stale, source_sync
from importers.sync.sources import SourceOptions, demo_bgt_sync, guess_kind, source_ensure, sources_due

__all__ = [
    "SourceOptions",
    "demo_bgt_sync",
    "guess_kind",
    "run_summary_json",
    "runs_fail_stale",
    "source_sync",
    "source_ensure",
    "sources_due",
]
