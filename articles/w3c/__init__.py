"""An article's annotations as a W3C Web Annotation collection (JSON-LD), out and back in.

The standard parts follow the Web Annotation Data Model (https://www.w3.org/TR/annotation-model/):
each annotation targets the article with a TextQuoteSelector and a TextPositionSelector
(offsets count Unicode code points, as Python's str does), its explanation is a describing
TextualBody and its kind a classifying one.

What the standard has no words for travels in a ``sourcewise:markup`` object on each
annotation, in our own vocabulary, https://sourcewise.invalid/ns#. The ``.invalid`` top-level
domain is reserved (RFC 2606), so the namespace can never resolve to, or be mistaken for,
someone else's vocabulary. Its terms, declared in the document's second @context entry:

- markup: what a careful reader should know about the span (the object holding the rest);
- kind: claim / fact / opinion; on a speaker: person / organisation / document / unnamed /
  vague / outlet (the words expand to concept IRIs, sourcewise:statement-claim,
  sourcewise:speaker-vague; /ns/sourcewise.jsonld labels them as SKOS concepts);
- sourcing: named_person / named_org / unnamed / vague / none (sourcewise:sourcing-vague);
- cue: the attribution verb or phrase ("said", "alleged");
- speaker: {name, description, kind}, or null for the outlet's own voice;
- sourceWords: the words that name the source, or null: a SpecificResource with the target's
  source id and a TextQuoteSelector and a TextPositionSelector (before: {exact, start, end});
- anchorStatus, anchorScore: how well the annotation was anchored when exported;
- article (on the collection): the urn:sourcewise:article:<slug> of the annotated article,
  an IRI.

The target's source is {id, type: Text, format, language} (before: the id alone); an
annotation's id is its HTTP address when the export knows the site's, with its urn:uuid in
canonical. docs/w3c.md has the whole format with examples.
"""
