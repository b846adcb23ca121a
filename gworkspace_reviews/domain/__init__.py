"""The pure core: no Google, click, Slack or filesystem imports here."""
