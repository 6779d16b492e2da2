"""Referrals in the platform operator's admin (see core/admin_site.py).

A referral is a person's data (name, phone, what was asked): it is not registered, and is read
only on the organisation's own pages, which check the organisation and log every read. The
referral access log is shown read-only, naming the referral by number, for the same reason as
the participants' access log (audit/admin.py).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from samspill.core.admin_site import ReadOnlyAdmin
from samspill.referrals.models import ReferralAccessLog


@admin.register(ReferralAccessLog)
class ReferralAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["accessed_at", "actor", "referral_number", "what", "why"]
    list_filter = ["why"]
    list_select_related = ["actor"]
    fields = ["accessed_at", "organisation", "actor", "referral_number", "what", "why"]
    readonly_fields = ["referral_number"]

    @admin.display(description=_("referral"))
    def referral_number(self, obj: ReferralAccessLog) -> int:
        return obj.referral_id
