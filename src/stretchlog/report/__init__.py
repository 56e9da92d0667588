"""What a person takes away: the self-contained HTML report and the printable card."""
