"""The application: the pipeline, batch builds, new issues and the command line."""
