import uuid

from django.db import migrations, models


def give_each_annotation_a_uid(apps, schema_editor):
    Annotation = apps.get_model("articles", "Annotation")
    for annotation in Annotation.objects.only("pk").iterator():
        Annotation.objects.filter(pk=annotation.pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_article_reading_grade")]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_annotation_a_uid, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="annotation",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Names the annotation wherever it travels (urn:uuid:…).",
                unique=True,
                verbose_name="global id",
            ),
        ),
    ]
