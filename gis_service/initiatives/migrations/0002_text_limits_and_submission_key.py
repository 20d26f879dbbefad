"""Length limits on an initiative's texts, and the key that makes a form submit once (issue 17, 11)."""

import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

# Texts stored before the limits existed (a 5 MB description was accepted) would stop the
# constraints from being added: they are cut to the limit, marked so a reader sees it.
SHORTEN_SQL = """
UPDATE initiatives_initiative
   SET description = left(description, 4985) || ' … (ingekort)'
 WHERE char_length(description) > 5000;
UPDATE initiatives_initiative
   SET rejection_reason = left(rejection_reason, 4985) || ' … (ingekort)'
 WHERE char_length(rejection_reason) > 5000;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0005_rules_from_sql_files"),
        ("initiatives", "0001_initial"),
        ("locations", "0004_status_rule"),
        ("owners", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(SHORTEN_SQL, migrations.RunSQL.noop),
        migrations.AddField(
            model_name="initiative",
            name="submission_key",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("description"), 5000
                ),
                name="initiative_description_length",
                violation_error_message="Gebruik voor het plan hoogstens 5000 tekens.",
            ),
        ),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("rejection_reason"), 5000
                ),
                name="initiative_rejection_reason_length",
                violation_error_message="Gebruik voor de reden van afwijzing hoogstens 5000 tekens.",
            ),
        ),
        migrations.AddConstraint(
            model_name="initiative",
            constraint=models.UniqueConstraint(
                fields=("created_by", "submission_key"), name="initiative_submitted_once"
            ),
        ),
    ]
