"""What every municipality starts with: the 2006 policy's four goals (P2.1–P2.4) and the kinds of
cost the policy assigns to a bearer (P3.6–P3.9). Plain data, read by the service that seeds a new
municipality and by the migration that seeded the existing ones.

The goals' codes are the policy's clause IDs; product requests name the goals they serve by them
in the API, and the migration that made their goals a relation (catalogue 0003) reads them."""

from __future__ import annotations

# (code, name, description)
DEFAULT_GOALS: list[tuple[str, str, str]] = [
    (
        "P2.1",
        "Service",
        "Förbättra invånarnas åtkomst till information och möjligheter att utnyttja kommunala "
        "tjänster.",
    ),
    (
        "P2.2",
        "Demokrati",
        "Öka medborgarnas möjligheter till insyn och delaktighet i kommunala frågor.",
    ),
    (
        "P2.3",
        "Effektivitet",
        "Förbättrade och effektiviserade arbetsrutiner för den kommunala verksamheten.",
    ),
    (
        "P2.4",
        "Utbildning",
        "Alla elever ska uppleva att IT-tekniken används som en integrerad del i den lärande "
        "miljön.",
    ),
]

# (name, description, default bearer kind, recovered through internal rent)
DEFAULT_COST_CATEGORIES: list[tuple[str, str, str, bool]] = [
    (
        "Passiv nätutrustning (kablage)",
        "Kablage till fastighetsnätet i kommunens lokaler (P3.6, P3.7).",
        "technical_department",
        True,
    ),
    (
        "Aktiv nätutrustning",
        "Switchar, trådlösa nät och annan aktiv kommunikationsutrustning (P3.8).",
        "central_office",
        False,
    ),
    (
        "Förvaltningsövergripande system",
        "Verksamhetssystem för flera förvaltningar, t.ex. ekonomi- och personalsystem (P3.9).",
        "central_office",
        False,
    ),
    (
        "Förvaltningens verksamhetssystem",
        "En förvaltnings egna verksamhetssystem (P3.3).",
        "own_department",
        False,
    ),
]
