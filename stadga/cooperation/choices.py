"""What a member of a cooperation group may share with its partners (P8.1).

Each category is a boolean on `Membership`, False until the member's IT coordinator opts in.
The requirement catalogues are not a category: they are loaded once for the whole installation
and every municipality reads every version, so there is nothing to opt in to. What a municipality
learned about vendors (P5.2) is, since partners buying together weigh the same vendors.
"""

from django.utils.translation import gettext_lazy as _

# field name on Membership -> what it shares, in the municipality's words
SHARING_CATEGORIES = {
    "shares_catalogue": _("Product decisions and their phases"),
    "shares_systems": _("The systems register's public fields"),
    "shares_contacts": _("IT coordinators' names, work e-mail and phone"),
    "shares_assessments": _("Vendor assessments"),
    "shares_training": _("Training sessions open to partners' staff"),
    "shares_compliance": _("Compliance with the IT policy, clause by clause"),
}

# The same categories in a word or two, for a table's column headings.
SHARING_SHORT = {
    "shares_catalogue": _("Product decisions"),
    "shares_systems": _("Public systems"),
    "shares_contacts": _("Contacts"),
    "shares_assessments": _("Vendor assessments"),
    "shares_training": _("Training sessions"),
    "shares_compliance": _("Compliance"),
}
