/**
 * The contract between the round protocol and the programs it starts: typed invocations of the
 * trainer and the aggregator (built from a protocol action and the spec, rendered as program
 * arguments, parsed back by the programs), exit codes and the retry policy both runtimes apply, and
 * the environment variables a workload reads.
 */
package dev.flotilla.core.workload;
