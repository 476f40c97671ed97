from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0004_response_attempt_uses_unique_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="classroom",
            name="not_handed_in",
            field=models.CharField(
                choices=[("leave_out", "Left out of the averages"), ("zero", "Counted as 0")],
                default="leave_out",
                help_text=(
                    "How the gradebook's averages count an open assignment a student has not"
                    " handed in."
                ),
                max_length=10,
                verbose_name="work not handed in",
            ),
        ),
    ]
