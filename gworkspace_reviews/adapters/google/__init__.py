"""The Google Workspace adapter: Drive, Sheets and Docs through googleapiclient (the only place using it)."""
