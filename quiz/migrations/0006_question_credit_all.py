from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0005_classroom_not_handed_in"),
    ]

    operations = [
        migrations.AddField(
            model_name="question",
            name="credit_all",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Every answer counts as right and earns the points, for a question that"
                    " turned out unfair. Regrade to apply it to answers already given."
                ),
                verbose_name="give everyone credit",
            ),
        ),
    ]
