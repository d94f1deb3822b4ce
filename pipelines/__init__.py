"""zhcorpus pipelines: workspace, store, stages, executors, exports, reports and the CLI."""
