"""The write side's SQL, one module per table family. Set-based writes inside the caller's
transaction; statements use unqualified table names because `projector.project` sets
`search_path` to the live schema or to a rebuild schema."""
