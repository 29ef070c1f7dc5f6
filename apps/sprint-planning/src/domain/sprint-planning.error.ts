/** A field the client sent that breaks a rule, as `{path, message}` (dotted path into the body). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Every rule the sprint-planning domain enforces, with the HTTP status it is answered with. The code
 * is the problem document's type (`urn:pacer:problem:<code>`), so clients and tests switch on it.
 */
export const SPRINT_PLANNING_ERRORS = {
  'validation-failed': 400,
  'invalid-if-match': 400,
  forbidden: 403,
  'team-not-found': 404,
  'sprint-not-found': 404,
  'member-not-found': 404,
  'item-not-found': 404,
  'team-exists': 409,
  'sprint-exists': 409,
  'sprint-overlap': 409,
  'sprint-not-planned': 409,
  'sprint-not-active': 409,
  'sprint-closed': 409,
  'another-sprint-active': 409,
  'item-owned-by-another-rep': 409,
  'report-not-available': 409,
  'version-conflict': 409,
  'role-not-allowed': 422,
  'team-already-has-manager': 422,
  'membership-overlap': 422,
  'effective-date-before-membership': 422,
  'rep-not-member': 422,
} as const;

export type SprintPlanningErrorCode = keyof typeof SPRINT_PLANNING_ERRORS;

/** A domain rule was broken; carries a stable code and the HTTP status it maps to. */
export class SprintPlanningError extends Error {
  override readonly name = 'SprintPlanningError';
  readonly status: number;

  constructor(
    readonly code: SprintPlanningErrorCode,
    message: string,
    readonly errors?: FieldProblem[],
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = SPRINT_PLANNING_ERRORS[code];
  }

  static validation(errors: FieldProblem[], message = 'The request is not valid.'): SprintPlanningError {
    return new SprintPlanningError('validation-failed', message, errors);
  }
}
