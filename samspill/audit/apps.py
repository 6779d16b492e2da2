from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "samspill.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import pre_delete

        from samspill.audit.append_only import refuse_unless_lifted
        from samspill.audit.models import AppendOnlyModel

        # A cascade (deleting a participant or an organisation) deletes rows without calling
        # their delete(): the signal is the one place that sees it, before anything is deleted
        # (a receiver also keeps Django from deleting them in bulk unseen).
        def refuse(sender: type, **kwargs: object) -> None:
            refuse_unless_lifted(sender._meta.db_table)  # type: ignore[attr-defined]

        # Every append-only table, wherever it lives (the referral access log is in referrals):
        # asked of the registry, so the audit app imports no app above it.
        for model in apps.get_models():
            if not issubclass(model, AppendOnlyModel):
                continue
            pre_delete.connect(
                refuse, sender=model, weak=False, dispatch_uid=f"append-only-{model._meta.label}"
            )
