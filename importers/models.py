from __future__ import annotations

from django.contrib.gis.db import models


class Source(models.Model):
    """A saved dataset that is imported as locations and kept in sync."""

    class Kind(models.TextChoices):
        FILE = "file", "bestand"
        WFS = "wfs", "WFS"
        OAPIF = "oapif", "OGC API Features"

    owner = models.ForeignKey("owners.Owner", on_delete=models.PROTECT, related_name="sources", verbose_name="eigenaar")
    name = models.CharField("naam", max_length=100)
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    location = models.CharField("pad of URL", max_length=1000)
    layer = models.CharField("laag of typename", max_length=255, blank=True)
    crs = models.CharField("CRS als de bron er geen noemt", max_length=64, blank=True)
    id_field = models.CharField("veld met extern id", max_length=100, blank=True)
    name_field = models.CharField("veld met naam", max_length=100, blank=True)
    type_field = models.CharField("veld met soort", max_length=100, blank=True)
    keep_fields = models.JSONField("te bewaren attributen", default=list, blank=True)
    where = models.CharField("filter", max_length=1000, blank=True)
    sync_interval_minutes = models.PositiveIntegerField("synchroniseer elke … minuten", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bron"
        verbose_name_plural = "bronnen"
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="source_unique_name_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner.slug}/{self.name}"


class ImportRun(models.Model):
    """One sync of a source: what was read, what changed, and how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", "bezig"
        SUCCEEDED = "succeeded", "geslaagd"
        FAILED = "failed", "mislukt"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs", verbose_name="bron")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written every IMPORT_HEARTBEAT_SECONDS by the process running the import, over a connection of
    # its own (importers/progress.py): a running run whose heartbeat stopped has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # What went wrong and where (file, feature, page), for a failed run.
    message = models.TextField(blank=True)
    # Progress while running: features read so far, and the total when the source tells it.
    total = models.PositiveIntegerField(null=True, blank=True)
    read = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    repaired = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # Fingerprint of the source bytes and the mapping: an identical fingerprint on the next run
    # means nothing can have changed, so that run skips reading the features at all.
    fingerprint = models.CharField(max_length=64, blank=True)
    # Locations of the source that are current (not withdrawn) after this run.
    current_after = models.PositiveIntegerField(null=True, blank=True)
    # The locations this run created are those of its source with an id in this range: ids only
    # grow and syncs of one source never overlap, so no per-location row is needed for them.
    created_first_id = models.BigIntegerField(null=True, blank=True)
    created_last_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "importrun"
        verbose_name_plural = "importruns"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"], name="importrun_source_started")]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.get_status_display()}"

    def summary(self) -> dict[str, object]:
        """The counts and outcome as plain values (the --json output of import_locations)."""
        return {
            "run": self.pk,
            "source": str(self.source),
            "status": self.status,
            "read": self.read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "repaired": self.repaired,
            "rejected": self.rejected,
            "message": self.message,
        }


class ImportIssue(models.Model):
    """A feature that was repaired or rejected in a run, with the reason (the CSV report)."""

    class Kind(models.TextChoices):
        REPAIRED = "repaired", "hersteld"
        REJECTED = "rejected", "geweigerd"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    # Position of the feature in the source (0-based), so it can be found in QGIS.
    feature_index = models.IntegerField()
    external_id = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    code = models.CharField(max_length=32)
    detail = models.TextField(blank=True)

    class Meta:
        verbose_name = "importmelding"
        verbose_name_plural = "importmeldingen"
        ordering = ["run", "feature_index"]


class ImportChange(models.Model):
    """One location created, updated or withdrawn by a run: the diff shown in the admin."""

    class Change(models.TextChoices):
        CREATED = "created", "nieuw"
        UPDATED = "updated", "gewijzigd"
        WITHDRAWN = "withdrawn", "ingetrokken"

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes")
    location = models.ForeignKey("locations.Location", on_delete=models.CASCADE, related_name="+")
    change = models.CharField(max_length=10, choices=Change.choices)

    class Meta:
        verbose_name = "wijziging"
        verbose_name_plural = "wijzigingen"
        indexes = [models.Index(fields=["run", "change"], name="importchange_run_change")]
