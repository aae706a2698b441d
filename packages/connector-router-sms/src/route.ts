import { ConnectorErrorCodes } from '@logto/connector-kit';
import { countryName, fieldError, type PhoneNumber } from '@sms-suite/sms-kit';

import { anyCountry, type Route } from './config';

/**
 * The route of a number: the first whose countries include the number's own region (`+1 868` is
 * TT, not US), else the `*` route. A number no route serves is refused before anything is sent,
 * naming its country.
 */
export const routeFor = (routes: readonly Route[], phone: PhoneNumber): Route => {
  const { country } = phone;
  const route =
    (country ? routes.find(({ countries }) => countries.includes(country)) : undefined) ??
    routes.find(({ countries }) => countries.includes(anyCountry));
  if (route) {
    return route;
  }
  const routed = [...new Set(routes.flatMap(({ countries }) => countries))].join(', ');
  const whose = country ? countryName(country) : `+${phone.callingCode} numbers (no country)`;
  throw fieldError(
    ConnectorErrorCodes.InvalidRequestParameters,
    ['to'],
    `No route serves ${whose}: the routes serve ${routed} only. Add ${country ?? 'it'} to a route, or a "*" route last for every other country.`,
    { ...(country && { country }), delivery: 'notSent' }
  );
};

/** `CN` or `*` → how errors name a route. */
export const routeLabel = (route: Route): string =>
  route.countries.includes(anyCountry) ? 'the "*" route' : `the route for ${route.countries.join(', ')}`;
