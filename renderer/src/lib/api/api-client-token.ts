import { ApiClient } from '../../../../shared/contract/client.js';
import { InjectionToken } from '../../app/context.js';

export const API_CLIENT = new InjectionToken<ApiClient>('ApiClient');
