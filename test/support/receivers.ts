/** The receivers the tests send to are the ones the benchmark and the fault suite use. */
export * from '../../scripts/receivers';
