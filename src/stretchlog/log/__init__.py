"""The log file and its contract: errors, the schema, the catalog, pain chains, the reader and writer.

The bottom layer: nothing here imports another stretchlog subpackage. Importing the
package itself is free (the CLI's ``catalog`` command loads only
:mod:`stretchlog.log.catalog`, without pandas).
"""
