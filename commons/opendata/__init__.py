"""The commons as open data: exports, feeds and the metadata of fiche pages.

- `records`: one record per published fiche of a registered type, streamed from the database in a
  fixed number of queries and constant memory (rows and links merged in page order);
- `json_export`, `csv_export`: `/export/commons.json` and `/export/<type>.csv`, as text chunks
  (`commons_json_chunks`, `fiches_csv_chunks`: a benchmark can consume them without a request);
- `conditional`: the `ETag` and `Last-Modified` of the exports and feeds;
- `publications`, `feeds`: the Atom feeds of published changes (`/flux.xml`, one per question);
- `jsonld`: the schema.org JSON-LD of a fiche page;
- `views`, `urls`: `/export/` and the routes above.

Nothing is imported here: the Jinja2 environment reads `jsonld` before the models are ready.
"""
