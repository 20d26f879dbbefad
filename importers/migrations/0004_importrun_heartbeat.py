from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("importers", "0003_created_id_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="importrun",
            name="heartbeat_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
