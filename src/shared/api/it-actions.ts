import { z } from 'zod';
import { allowListRefParam, packageIdParam, serviceNameParam } from '../actions/params';
import { scriptDefinitionSchema, scriptSlugSchema } from '../actions/scripts';
import { text } from '../text/text-schema';
import { endpointGroup } from './endpoint';

/*
 * IT's part of the action catalog (issue 12), authored by IT admins in the console's settings:
 * - the allow-lists that `service.restart` and `package.install` name an entry of (a display name and the
 *   service's or package's name on each OS); the server resolves a technician's entry id to the device's
 *   OS's name and signs that name into the command;
 * - IT scripts (per-OS bodies, declared parameters, risk), which technicians run as `script.<slug>`.
 * Technicians read all of it (the "Run on device" form offers it); only admins change it (403, audited).
 */

const ALLOW_LIST_TITLE_MAX = 120;
const title = text().trim().min(1, 'must not be empty').max(ALLOW_LIST_TITLE_MAX);

/** PUT /api/v1/it/services/:id: a service and its name per OS (at least one). */
export const putItServiceSchema = z
  .strictObject({
    title,
    linux: serviceNameParam.optional(),
    win32: serviceNameParam.optional(),
    darwin: serviceNameParam.optional(),
  })
  .refine((s) => s.linux || s.win32 || s.darwin, 'give the service’s name on at least one OS (linux, win32, darwin)');
export type PutItServiceBody = z.input<typeof putItServiceSchema>;

/** PUT /api/v1/it/packages/:id: a package and its id per package manager (at least one). */
export const putItPackageSchema = z
  .strictObject({
    title,
    apt: packageIdParam.optional(),
    dnf: packageIdParam.optional(),
    winget: packageIdParam.optional(),
    brew: packageIdParam.optional(),
    /** The Homebrew id is a cask (`brew install --cask`), not a formula. */
    brewCask: z.boolean().default(false),
  })
  .refine((p) => p.apt || p.dnf || p.winget || p.brew, 'give the package’s id in at least one package manager')
  .refine((p) => !p.brewCask || p.brew, { message: 'a cask needs the Homebrew id (brew)', path: ['brewCask'] });
export type PutItPackageBody = z.input<typeof putItPackageSchema>;

/** PUT /api/v1/it/scripts/:slug. */
export const putItScriptSchema = scriptDefinitionSchema;
export type PutItScriptBody = z.input<typeof putItScriptSchema>;

const updatedAt = z.string();
const osName = z.string().nullable();

export const itServiceSchema = z.object({
  id: z.string(),
  title: z.string(),
  linux: osName,
  win32: osName,
  darwin: osName,
  updatedAt,
});
export type ItServiceDto = z.infer<typeof itServiceSchema>;

export const itPackageSchema = z.object({
  id: z.string(),
  title: z.string(),
  apt: osName,
  dnf: osName,
  winget: osName,
  brew: osName,
  brewCask: z.boolean(),
  updatedAt,
});
export type ItPackageDto = z.infer<typeof itPackageSchema>;

const scriptParamDto = z.object({
  name: z.string(),
  label: z.string().optional(),
  type: z.enum(['string', 'number', 'boolean']),
  required: z.boolean(),
  maxLength: z.number().optional(),
  pattern: z.string().optional(),
});
const scriptBodyDto = (shells: readonly [string, ...string[]]) => z.object({ shell: z.enum(shells), body: z.string() });

export const itScriptSchema = z.object({
  slug: z.string(),
  /** The action name technicians request: `script.<slug>`. */
  action: z.string(),
  title: z.string(),
  description: z.string(),
  risk: z.enum(['reads', 'changes']),
  timeoutSeconds: z.number(),
  parameters: z.array(scriptParamDto),
  bodies: z.object({
    linux: scriptBodyDto(['bash']).optional(),
    win32: scriptBodyDto(['powershell']).optional(),
    darwin: scriptBodyDto(['zsh', 'sh']).optional(),
  }),
  updatedAt,
});
export type ItScriptDto = z.infer<typeof itScriptSchema>;

/** GET /api/v1/it/catalog: everything IT added to the catalog, by id / slug. */
export const itCatalogSchema = z.object({
  services: z.array(itServiceSchema),
  packages: z.array(itPackageSchema),
  scripts: z.array(itScriptSchema),
});
export type ItCatalogDto = z.infer<typeof itCatalogSchema>;

const entryParams = z.object({ id: allowListRefParam });
const scriptParams = z.object({ slug: scriptSlugSchema });
const ADMIN_ONLY = 'IT admins only: a technician gets 403 `admin_only`, and the attempt is audited (`it.denied`).';

export const itActionEndpoints = endpointGroup('it-actions', {
  getItCatalog: {
    summary: "IT's allow-lists (services, packages) and scripts, as the technician's Run on device form offers them",
    responses: { 200: itCatalogSchema },
  },
  putItService: {
    summary: 'Add or change a service on the allow-list (admin)',
    description: `${ADMIN_ONLY} 201 when the entry is new, 200 when it changed.`,
    params: entryParams,
    body: putItServiceSchema,
    responses: { 200: itServiceSchema, 201: itServiceSchema },
  },
  deleteItService: {
    summary: 'Remove a service from the allow-list (admin)',
    description: ADMIN_ONLY,
    params: entryParams,
    responses: { 204: z.null() },
    errors: [404],
  },
  putItPackage: {
    summary: 'Add or change a package on the allow-list (admin)',
    description: `${ADMIN_ONLY} 201 when the entry is new, 200 when it changed.`,
    params: entryParams,
    body: putItPackageSchema,
    responses: { 200: itPackageSchema, 201: itPackageSchema },
  },
  deleteItPackage: {
    summary: 'Remove a package from the allow-list (admin)',
    description: ADMIN_ONLY,
    params: entryParams,
    responses: { 204: z.null() },
    errors: [404],
  },
  putItScript: {
    summary: 'Add or change an IT script (admin)',
    description: `${ADMIN_ONLY} 201 when the script is new, 200 when it changed. Commands already signed keep the text they were signed with.`,
    params: scriptParams,
    body: putItScriptSchema,
    responses: { 200: itScriptSchema, 201: itScriptSchema },
  },
  deleteItScript: {
    summary: 'Remove an IT script (admin)',
    description: ADMIN_ONLY,
    params: scriptParams,
    responses: { 204: z.null() },
    errors: [404],
  },
});
