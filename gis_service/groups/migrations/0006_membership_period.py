"""Membership history (docs/value.md): a period per membership and role, append-only in the database.

Every current member gets an open period from the day they joined, so the value report counts them
as before; who left before this migration is gone (their rows were deleted) and cannot be restored.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from gis_service.core.sqlfiles import run_sql_file

PERIODS_OF_CURRENT_MEMBERS = """
INSERT INTO groups_membershipperiod (group_id, user_id, role, started_at, ended_at)
SELECT group_id, user_id, role, joined_at, NULL FROM groups_groupmember
"""

APPEND_ONLY_REVERSE = """
DROP TRIGGER membership_period_append_only ON groups_membershipperiod;
DROP FUNCTION groups_membership_period_append_only();
"""


class Migration(migrations.Migration):

    dependencies = [
        ('groups', '0005_photo_before_after'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='MembershipPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role', models.CharField(choices=[('beheerder', 'beheerder'), ('vrijwilliger', 'vrijwilliger')], max_length=16, verbose_name='rol')),
                ('started_at', models.DateTimeField(verbose_name='begonnen op')),
                ('ended_at', models.DateTimeField(blank=True, null=True, verbose_name='gestopt op')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='membership_periods', to='groups.group', verbose_name='groep')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='gebruiker')),
            ],
            options={
                'verbose_name': 'lidmaatschapsperiode',
                'verbose_name_plural': 'lidmaatschapsperiodes',
                'ordering': ['started_at', 'id'],
                'constraints': [
                    models.UniqueConstraint(condition=models.Q(('ended_at__isnull', True)), fields=('group', 'user', 'role'), name='membership_period_one_open'),
                    models.CheckConstraint(condition=models.Q(('ended_at__isnull', True), ('ended_at__gt', models.F('started_at')), _connector='OR'), name='membership_period_ends_after_start'),
                ],
            },
        ),
        migrations.RunSQL(PERIODS_OF_CURRENT_MEMBERS, migrations.RunSQL.noop),
        run_sql_file("gis_service.groups", "membership_period", reverse=APPEND_ONLY_REVERSE),
    ]
