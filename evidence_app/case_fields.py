"""Case-detail keys (case.json, the custody log) in the reader's language.

The vault and case.json keep their English keys ("statement", "payments"); wherever a key
reaches a person (the report's other fields, where an indicator was seen, a custody record
that lists the changed fields) it is shown through case_field. Keys the app does not know
are shown as they were written.
"""

from __future__ import annotations

from evidence_app.i18n import N_, _

_CASE_FIELDS = {
    "reference": N_("Case reference"), "case_reference": N_("Case reference"),
    "case_ref": N_("Case reference"), "statement": N_("Statement"),
    "incident_dates": N_("Incident dates"), "incident_date": N_("Incident dates"),
    "platforms": N_("Platforms"), "offender_accounts": N_("Offender accounts"),
    "offenders": N_("Offender accounts"), "payments": N_("Payments made"),
    "contact": N_("Contact"), "contacts": N_("Contact"),
    "region": N_("Country"), "country": N_("Country"), "country_code": N_("Country"),
    "victim_phone": N_("Victim's phone number"), "victim_phones": N_("Victim's phone number"),
    "own_phone": N_("Victim's phone number"), "my_phone": N_("Victim's phone number"),
    "phone": N_("Victim's phone number"),
    "victim_email": N_("Victim's e-mail address"), "victim_emails": N_("Victim's e-mail address"),
    "own_email": N_("Victim's e-mail address"), "my_email": N_("Victim's e-mail address"),
    "email": N_("Victim's e-mail address"),
    "victim_handles": N_("Victim's accounts"), "victim_accounts": N_("Victim's accounts"),
    "own_accounts": N_("Victim's accounts"), "my_accounts": N_("Victim's accounts"),
}


def case_field(key: str) -> str:
    """A case.json key in the reader's language ("statement" -> "Schilderung")."""
    word = _CASE_FIELDS.get(key)
    return _(word) if word else key
