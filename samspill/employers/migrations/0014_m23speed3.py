from django.db import migrations, models
from django.db.models.functions import Lower, Trim


def fill(apps, schema_editor):
    """Each posting's static score (1 / the need's number of stems) and place (issue 23)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            """
UPDATE employers_needterm t SET static_score = x.static_score, place = x.place
FROM (
  SELECT n.id,
         1.0 / greatest(1, (SELECT count(*) FROM unnest(string_to_array(n.match_terms, ' ')) k
                            WHERE left(k, 1) = '='))::float8 AS static_score,
         lower(btrim(e.municipality)) AS place
  FROM employers_recruitmentneed n JOIN employers_employer e ON e.id = n.employer_id
  WHERE n.is_open
) x
WHERE t.need_id = x.id
"""
        )
        return
    Term = apps.get_model("employers", "NeedTerm")
    rows = (
        apps.get_model("employers", "RecruitmentNeed")
        .objects.filter(is_open=True)
        .values_list("id", "match_terms", "employer__municipality")
    )
    for pk, terms, place in rows:
        stems = sum(1 for t in terms.split() if t.startswith("="))
        Term.objects.filter(need_id=pk).update(
            static_score=1.0 / max(1, stems), place=place.strip().lower()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("employers", "0013_m23speed2"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="needterm",
            name="needterm_term_need",
        ),
        migrations.AddField(
            model_name="needterm",
            name="place",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="needterm",
            name="static_score",
            field=models.FloatField(default=0.0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="needterm",
            index=models.Index(
                fields=["term", "-static_score", "need"], name="needterm_term_score"
            ),
        ),
        migrations.AddIndex(
            model_name="needterm",
            index=models.Index(fields=["term", "place", "need"], name="needterm_term_place"),
        ),
        migrations.AddIndex(
            model_name="employer",
            index=models.Index(Lower(Trim("municipality")), name="employer_place"),
        ),
    ]
