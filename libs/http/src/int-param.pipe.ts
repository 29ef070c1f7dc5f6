import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { INPUT_LIMITS } from '@pacer/sales-domain';
import { ProblemException } from './problem';

/**
 * A path or query integer in `[min, max]` (default 1 to Postgres' integer maximum): digits only, so
 * `1e3`, ` 7` and `99999999999` are a 400 naming the parameter instead of reaching the database.
 */
@Injectable()
export class IntParamPipe implements PipeTransform<string, number> {
  constructor(private readonly range: { min?: number; max?: number } = {}) {}

  transform(value: string, metadata: ArgumentMetadata): number {
    const min = this.range.min ?? 1;
    const max = this.range.max ?? INPUT_LIMITS.maxInt;
    const n = /^-?\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      const name = metadata.data ?? 'parameter';
      throw ProblemException.validation([{ path: name, message: `${name} must be an integer from ${min} to ${max}` }]);
    }
    return n;
  }
}
