"""Pure text handling for names in any script: detection, normalisation, romanisation."""
