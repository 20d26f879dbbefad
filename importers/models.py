from __future__ import annotations

from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.Model):
    """A saved dataset that is imported as locations and kept in sync."""

    class Kind(models.TextChoices):
        FILE = "file", _("bestand")
        WFS = "wfs", "WFS"
        OAPIF = "oapif", "OGC API Features"

    owner = models.ForeignKey(
        "owners.Owner", on_delete=models.PROTECT, related_name="sources", verbose_name=_("eigenaar")
    )
    name = models.CharField(_("naam"), max_length=100)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    location = models.CharField(_("pad of URL"), max_length=1000)
    layer = models.CharField(_("laag of typename"), max_length=255, blank=True)
    crs = models.CharField(_("CRS als de bron er geen noemt"), max_length=64, blank=True)
    id_field = models.CharField(_("veld met extern id"), max_length=100, blank=True)
    name_field = models.CharField(_("veld met naam"), max_length=100, blank=True)
    type_field = models.CharField(_("veld met soort"), max_length=100, blank=True)
    keep_fields = models.JSONField(_("te bewaren attributen"), default=list, blank=True)
    where = models.CharField(_("filter"), max_length=1000, blank=True)
    sync_interval_minutes = models.PositiveIntegerField(_("synchroniseer elke … minuten"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("aangemaakt op"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("gewijzigd op"))

    class Meta:
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="source_unique_name_per_owner")]

    def __str__(self) -> str:
        return f"{self.owner.slug}/{self.name}"


class ImportRun(models.Model):
    """One sync of a source: what was read, what changed, and how it ended."""

    class Status(models.TextChoices):
        RUNNING = "running", _("bezig")
        SUCCEEDED = "succeeded", _("geslaagd")
        FAILED = "failed", _("mislukt")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="runs", verbose_name=_("bron"))
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RUNNING, db_index=True, verbose_name=_("status")
    )
    started_at = models.DateTimeField(auto_now_add=True, verbose_name=_("gestart op"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("afgerond op"))
    # Written every IMPORT_HEARTBEAT_SECONDS by the process running the import, over a connection of
    # its own (importers/progress.py): a running run whose heartbeat stopped has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True, verbose_name=_("laatste teken van leven"))
    # What went wrong and where (file, feature, page), for a failed run.
    message = models.TextField(blank=True, verbose_name=_("melding"))
    # Progress while running: features read so far, and the total when the source tells it.
    total = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("totaal"))
    read = models.PositiveIntegerField(default=0, verbose_name=_("gelezen"))
    created = models.PositiveIntegerField(default=0, verbose_name=_("nieuw"))
    updated = models.PositiveIntegerField(default=0, verbose_name=_("gewijzigd"))
    unchanged = models.PositiveIntegerField(default=0, verbose_name=_("ongewijzigd"))
    withdrawn = models.PositiveIntegerField(default=0, verbose_name=_("ingetrokken"))
    repaired = models.PositiveIntegerField(default=0, verbose_name=_("hersteld"))
    rejected = models.PositiveIntegerField(default=0, verbose_name=_("geweigerd"))
    # Fingerprint of the source bytes and the mapping: an identical fingerprint on the next run
    # means nothing can have changed, so that run skips reading the features at all.
    fingerprint = models.CharField(max_length=64, blank=True, verbose_name=_("vingerafdruk"))
    # Locations of the source that are current (not withdrawn) after this run.
    current_after = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("actuele locaties na afloop"))
    # The locations this run created are those of its source with an id in this range: ids only
    # grow and syncs of one source never overlap, so no per-location row is needed for them.
    created_first_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("eerste nieuwe id"))
    created_last_id = models.BigIntegerField(null=True, blank=True, verbose_name=_("laatste nieuwe id"))

    class Meta:
        verbose_name = _("importrun")
        verbose_name_plural = _("importruns")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"], name="importrun_source_started")]

    def __str__(self) -> str:
        # In the site's time zone, as the lists show it: in UTC the run page's title was an hour off them.
        return f"{self.source} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M} {self.get_status_display()}"

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
        REPAIRED = "repaired", _("hersteld")
        REJECTED = "rejected", _("geweigerd")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues", verbose_name=_("importrun"))
    # Position of the feature in the source (0-based), so it can be found in QGIS.
    feature_index = models.IntegerField(verbose_name=_("objectnummer"))
    external_id = models.CharField(max_length=255, blank=True, verbose_name=_("extern id"))
    kind = models.CharField(max_length=10, choices=Kind.choices, verbose_name=_("soort"))
    code = models.CharField(max_length=32, verbose_name=_("code"))
    detail = models.TextField(blank=True, verbose_name=_("toelichting"))

    class Meta:
        verbose_name = _("importmelding")
        verbose_name_plural = _("importmeldingen")
        ordering = ["run", "feature_index"]


class ImportChange(models.Model):
    """One location created, updated or withdrawn by a run: the diff shown in the admin."""

    class Change(models.TextChoices):
        CREATED = "created", _("nieuw")
        UPDATED = "updated", _("gewijzigd")
        WITHDRAWN = "withdrawn", _("ingetrokken")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="changes", verbose_name=_("importrun"))
    location = models.ForeignKey(
        "locations.Location", on_delete=models.CASCADE, related_name="+", verbose_name=_("locatie")
    )
    change = models.CharField(max_length=10, choices=Change.choices, verbose_name=_("wijziging"))

    class Meta:
        verbose_name = _("wijziging")
        verbose_name_plural = _("wijzigingen")
        indexes = [models.Index(fields=["run", "change"], name="importchange_run_change")]
