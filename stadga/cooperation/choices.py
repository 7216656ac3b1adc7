"""What a member of a cooperation group may share with its partners (P8.1).

Each category is a boolean on `Membership`, False until the member's IT coordinator opts in.
Requirement catalogues, training sessions open to partners' staff and compliance figures are
later categories (issue 10); each will be one more field and one more entry here.
"""

from django.utils.translation import gettext_lazy as _

# field name on Membership -> what it shares, in the municipality's words
SHARING_CATEGORIES = {
    "shares_catalogue": _("Product decisions and their phases"),
    "shares_systems": _("The systems register's public fields"),
    "shares_contacts": _("IT coordinators' names, work e-mail and phone"),
}
