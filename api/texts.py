"""The words of the web pages in Dutch and English. Everything the data says comes from the data."""

LANGUAGES = ("nl", "en")

TEXTS: dict[str, dict[str, str]] = {
    "site": {"nl": "Wijkkompas als open data", "en": "The Wijkkompas as open data"},
    "skip": {"nl": "Naar de inhoud", "en": "Skip to content"},
    "other_language": {"nl": "English", "en": "Nederlands"},
    "search": {"nl": "Zoeken", "en": "Search"},
    "search_label": {
        "nl": "Zoek een knooppunt, fase, spoor, partij, verhaal of plaats",
        "en": "Find a knooppunt, phase, spoor, party, story or place",
    },
    "search_results": {"nl": "Zoekresultaten voor", "en": "Search results for"},
    "search_none": {"nl": "Niets gevonden.", "en": "Nothing found."},
    "search_short": {
        "nl": "Typ minstens twee tekens.",
        "en": "Type at least two characters.",
    },
    "intro": {
        "nl": "Het Wijkkompas helpt gemeenten, bewoners, woningcorporaties en netbeheerders om "
        "een wijk samen aardgasvrij te maken. Het beschrijft de wijkaanpak in zes fasen, bekeken "
        "langs zes sporen, met knooppunten: beslismomenten die bepalen wat daarna komt. Deze site "
        "publiceert een gereconstrueerde, van bronnen voorziene versie daarvan als open data, "
        "samen met praktijkverhalen uit Nederlandse wijken.",
        "en": "The Wijkkompas helps municipalities, residents, housing corporations and grid "
        "operators make a neighbourhood natural-gas-free together. It describes the neighbourhood "
        "approach in six phases, seen along six sporen, with knooppunten: decision points that "
        "steer what comes after them. This site publishes a reconstructed, sourced version of it "
        "as open data, with practice stories from Dutch neighbourhoods.",
    },
    "at_a_glance": {"nl": "Het proces in één oogopslag", "en": "The process at a glance"},
    "picture_phase_spoor": {
        "nl": "Aantal knooppunten per fase (kolommen) en spoor (rijen)",
        "en": "Number of knooppunten per phase (columns) and spoor (rows)",
    },
    "phases": {"nl": "De zes fasen", "en": "The six phases"},
    "sporen": {"nl": "De zes sporen", "en": "The six sporen"},
    "stories": {"nl": "Praktijkverhalen", "en": "Practice stories"},
    "for_whom": {"nl": "Waar wilt u beginnen?", "en": "Where do you want to start?"},
    "for_researchers": {"nl": "Onderzoekers", "en": "Researchers"},
    "for_researchers_text": {
        "nl": "Stel vragen in SPARQL, met kant-en-klare voorbeelden.",
        "en": "Ask questions in SPARQL, with ready examples.",
    },
    "for_linkers": {"nl": "Andere platforms", "en": "Other platforms"},
    "for_linkers_text": {
        "nl": "Link naar vaste URI's, download de data, lees de beschrijving van de dataset.",
        "en": "Link to persistent URIs, download the data, read the dataset's description.",
    },
    "for_analysts": {"nl": "Analisten", "en": "Analysts"},
    "for_analysts_text": {
        "nl": "Verken afhankelijkheden, het kritieke pad, knelpunten en wie wanneer mee moet doen.",
        "en": "Explore dependencies, the critical path, bottlenecks and who to involve when.",
    },
    "sparql_editor": {"nl": "SPARQL-editor", "en": "SPARQL editor"},
    "sparql_intro": {
        "nl": "Vraag de kennisgraaf rechtstreeks in SPARQL 1.1. Elk tabblad is een kant-en-klaar "
        "voorbeeld uit de vraagcatalogus; pas het aan en druk op de afspeelknop.",
        "en": "Query the knowledge graph directly in SPARQL 1.1. Each tab is a ready example from "
        "the query catalogue; change it and press the play button.",
    },
    "api": {"nl": "API en vraagcatalogus", "en": "API and query catalogue"},
    "ontology": {"nl": "Ontologie", "en": "Ontology"},
    "downloads": {"nl": "Downloads", "en": "Downloads"},
    "dataset_description": {"nl": "Beschrijving van de dataset", "en": "Dataset description"},
    "dependency_picture": {"nl": "Afhankelijkheden als figuur", "en": "Dependencies as a picture"},
    "knooppunten": {"nl": "knooppunten", "en": "knooppunten"},
    "goal": {"nl": "Doel", "en": "Goal"},
    "approach": {"nl": "Aanpak", "en": "Approach"},
    "tips": {"nl": "Tips", "en": "Tips"},
    "phase": {"nl": "Fase", "en": "Phase"},
    "spoor": {"nl": "Spoor", "en": "Spoor"},
    "code": {"nl": "Code", "en": "Code"},
    "title": {"nl": "Titel", "en": "Title"},
    "role": {"nl": "Rol", "en": "Role"},
    "stakeholder": {"nl": "Partij", "en": "Party"},
    "rationale": {"nl": "Onderbouwing", "en": "Rationale"},
    "direct": {"nl": "direct", "en": "direct"},
    "indirect": {"nl": "via andere", "en": "through others"},
    "when": {"nl": "Wanneer", "en": "When"},
    "status": {"nl": "Stand", "en": "Status"},
    "source": {"nl": "Bron", "en": "Source"},
    "place": {"nl": "Plaats", "en": "Place"},
    "regie": {"nl": "Regie", "en": "Lead"},
    "adjusted": {
        "nl": "aangepast aan het regiemodel",
        "en": "adjusted to the regie model",
    },
    "upstream": {"nl": "Wat dit knooppunt vereist", "en": "What this knooppunt requires"},
    "downstream": {"nl": "Wat van dit knooppunt afhangt", "en": "What depends on this knooppunt"},
    "involve_knooppunt": {"nl": "Wie te betrekken", "en": "Who to involve"},
    "stories_for_knooppunt": {"nl": "Verhalen uit de praktijk", "en": "Stories from practice"},
    "sources_of_resource": {"nl": "Bronnen", "en": "Sources"},
    "knooppunten_in_phase": {"nl": "Knooppunten in deze fase", "en": "Knooppunten in this phase"},
    "involve_phase": {"nl": "Wie in deze fase meedoet", "en": "Who takes part in this phase"},
    "knooppunten_in_spoor": {
        "nl": "Knooppunten in dit spoor",
        "en": "Knooppunten in this spoor",
    },
    "stakeholder_timeline": {
        "nl": "Wanneer deze partij nodig is",
        "en": "When this party is needed",
    },
    "lessons_for_stakeholder": {"nl": "Lessen uit de praktijk", "en": "Lessons from practice"},
    "story_organisations": {"nl": "Organisaties en hun rollen", "en": "Organisations and roles"},
    "story_events": {"nl": "Tijdlijn", "en": "Timeline"},
    "story_progress": {"nl": "Voortgang", "en": "Progress"},
    "involve_neighbourhood_now": {
        "nl": "Wat nu kan, en wie daarbij te betrekken",
        "en": "What can be taken now, and who to involve",
    },
    "progress_picture": {
        "nl": "Voortgang op de afhankelijkheden: groen is gepasseerd, oranje kan nu, grijs wacht "
        "nog, roze is gepasseerd terwijl een voorganger dat niet was.",
        "en": "Progress on the dependencies: green is passed, orange can be taken now, grey still "
        "waits, pink was passed while a prerequisite was not.",
    },
    "nothing": {"nl": "Geen gegevens.", "en": "No data."},
    "statements": {"nl": "Alle uitspraken", "en": "All statements"},
    "links_in": {"nl": "Verwijzingen hierheen", "en": "Links to here"},
    "links_counted": {
        "nl": "verwijzingen, te veel om op te sommen; de SPARQL-endpoint geeft ze allemaal",
        "en": "links, too many to list; the SPARQL endpoint gives them all",
    },
    "property": {"nl": "Eigenschap", "en": "Property"},
    "value": {"nl": "Waarde", "en": "Value"},
    "this_page": {"nl": "Deze pagina als data", "en": "This page as data"},
    "rdf_forms": {"nl": "Als RDF", "en": "As RDF"},
    "made_by": {"nl": "Gemaakt met de vragen", "en": "Made by the queries"},
    "open_in_editor": {"nl": "in de editor", "en": "in the editor"},
    "as_json": {"nl": "als JSON", "en": "as JSON"},
    "license": {
        "nl": "Open data onder CC BY 4.0. Elke bewering verwijst naar haar bron.",
        "en": "Open data under CC BY 4.0. Every statement cites its source.",
    },
    "reconstructed": {
        "nl": "De knooppunten zijn gereconstrueerd uit openbare bronnen; de officiële catalogus "
        "is niet openbaar.",
        "en": "The knooppunten are reconstructed from public sources; the official catalogue is "
        "not public.",
    },
    "not_found": {"nl": "Niet gevonden", "en": "Not found"},
    "error": {"nl": "Dat lukte niet", "en": "That did not work"},
}


def text(key: str, lang: str) -> str:
    """Return the words for ``key`` in ``lang``."""
    return TEXTS[key][lang]
