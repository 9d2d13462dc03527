"""Format readers behind `presswatch.articles.read_file`, which is the public entry point."""
