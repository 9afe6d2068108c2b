/**
 * A file or folder path as the API takes it. No file system accepts a NUL character in a path;
 * one that got through reached Node's fs, which refused it with its own message (issue 16 fault
 * suite). Refused here, at the contract, for every path.
 */
import { z } from 'zod';

export const PathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), { message: 'a path cannot contain a NUL character' });
