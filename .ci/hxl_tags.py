"""What the HXL checks share: an export read with libhxl, and its columns compared with the
hashtags intended for them."""
import hxl


def read_tagged(path, intended, failures, name=""):
    """The columns and rows libhxl reads from `path`; a failure for every column whose hashtag is
    not the one `intended` gives its header, and for a missing or unexpected column."""
    prefix = f"{name}: " if name else ""
    source = hxl.data(path, hxl.InputOptions(allow_local=True))
    columns = source.columns
    headers = [c.header for c in columns]
    if sorted(headers) != sorted(intended):
        failures.append(f"{prefix}columns differ: missing {sorted(set(intended) - set(headers))}, unexpected {sorted(set(headers) - set(intended))}")
    for column in columns:
        want = intended.get(column.header)
        if want is None:
            continue
        # libhxl normalises attribute order; compare as tag + set of attributes.
        got_tag, *got_attributes = column.display_tag.split("+")
        want_tag, *want_attributes = want.split("+")
        if (got_tag, sorted(got_attributes)) != (want_tag, sorted(want_attributes)):
            failures.append(f"{prefix}column {column.header}: libhxl reads {column.display_tag}, intended {want}")
    return columns, list(source)
