import { Public } from './auth.guard';

/**
 * Exempts one route from the bearer-token guard because the route authenticates its caller itself,
 * by a signature or shared secret over the request (SPEC §7, §9: the signed CRM webhooks). Method
 * only, so a whole controller can never be opened by accident; the handler must verify before it
 * reads or writes anything of the tenant it names.
 */
export const AuthenticatedBySignature = (): MethodDecorator => Public();
