"""Demo data for `manage.py load_portal_demo`: about 80 published datasets of the registry demo's
holders, with real-looking Chinese descriptions and files generated in code, built through the
portal's publishing services so that events, versions, previews, counters and search vectors
are the real ones.

- `catalogue_*`: the datasets (which record, theme, tags, notes, files, overdue or withdrawn);
- `tables_*`: one builder per file, seeded so that a file's bytes depend only on its date;
- `places`, `values`, `geo`: names, codes, coordinates and series the builders share;
- `formats`: CSV (UTF-8, BOM, GBK), XLSX, JSON, GeoJSON, XML, PDF and ZIP writers;
- `schedule`: when each dataset was published and each file uploaded, relative to `now`;
- `usage`: metered downloads over the last weeks;
- `loader`: the whole load, idempotent, in one transaction.
"""
