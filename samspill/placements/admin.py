"""Nothing of placements is in Django admin: placements, mentor notes and concerns are case
data, read and changed only on the organisation's own pages, through the services that check
the organisation and write the audit trail (see core/admin_site.py)."""
