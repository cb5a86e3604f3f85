/**
 * Which pages each role may open, from the contract's role table (defined once, in the domain). What a person
 * may do with one order is never decided here: the API sends it as the order's `actions`.
 */
export { ADMINS, ANYONE, MANAGERS, OPERATORS, OVERSEERS, hasRole } from '../../../domain/people';
