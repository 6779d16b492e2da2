"""Background work of the insights: the effects model takes seconds to a minute at national
scale, so pages ask for it and read the cached result."""

from django_tasks import task

from samspill.insights import services
from samspill.insights.models import Analysis


@task()
def run_analysis(analysis_id: int) -> str:
    analysis = Analysis.objects.get(pk=analysis_id)
    return services.analysis_run(analysis=analysis).status
