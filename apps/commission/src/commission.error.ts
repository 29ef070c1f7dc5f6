/** A field the client sent that breaks a rule, as `{path, message}` (dotted path into the body). */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Every rule the commission service enforces, with the HTTP status it is answered with. The code is
 * the problem document's type (`urn:pacer:problem:<code>`), which clients and tests switch on, so a
 * code here is part of the API: renaming one is a breaking change.
 */
export const COMMISSION_ERRORS = {
  'validation-failed': 400,
  forbidden: 403,
  'not-found': 404,
  'concurrent-change': 409,
  'period-paid': 409,
  'period-open': 409,
  'period-not-paid': 409,
  'statement-paid': 409,
  'statement-changed': 409,
  'statements-unapproved': 409,
  'dispute-resolved': 409,
  'deal-decided': 409,
  'deal-not-pending': 409,
  'no-plan': 422,
  'no-plan-period': 422,
  'no-open-period': 422,
} as const;

export type CommissionErrorCode = keyof typeof COMMISSION_ERRORS;

/**
 * A commission rule was broken; carries a stable code, the HTTP status it maps to and the problem
 * document's extension members (`currentVersion`, `unapproved`, …). Services throw it without
 * knowing about HTTP; `CommissionErrorFilter` turns it into problem+json at the edge.
 */
export class CommissionError extends Error {
  override readonly name = 'CommissionError';
  readonly status: number;

  constructor(
    readonly code: CommissionErrorCode,
    message: string,
    readonly extensions: Record<string, unknown> = {},
    readonly errors?: FieldProblem[],
  ) {
    super(message);
    this.status = COMMISSION_ERRORS[code];
  }

  static validation(errors: FieldProblem[], message = 'The request is not valid.'): CommissionError {
    return new CommissionError('validation-failed', message, {}, errors);
  }

  /** `what` names the missing thing as a sentence subject ("Dispute 42"). */
  static notFound(what: string): CommissionError {
    return new CommissionError('not-found', `${what} was not found.`);
  }
}
