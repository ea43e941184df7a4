import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ArticleDto } from '../../shared/api/articles';
import { call, type BodyOf, type QueryOf } from './http';

export const articleKeys = {
  all: ['articles'] as const,
  lists: () => [...articleKeys.all, 'list'] as const,
  list: (query: QueryOf<'listArticles'>) => [...articleKeys.lists(), query] as const,
  detail: (id: number) => [...articleKeys.all, 'detail', id] as const,
  search: (q: string) => [...articleKeys.all, 'search', q] as const,
};

/** The knowledge base as the admin lists it; the last answer stays on screen while a new search loads. */
export function useArticles(query: QueryOf<'listArticles'>) {
  return useQuery({
    queryKey: articleKeys.list(query),
    queryFn: ({ signal }) => call('listArticles', { query, signal }),
    placeholderData: keepPreviousData,
  });
}

export function articleQuery(id: number) {
  return queryOptions({
    queryKey: articleKeys.detail(id),
    queryFn: ({ signal }) => call('getArticle', { params: { id }, signal }),
  });
}

/** One article (the editor); `enabled` is false for a new one. */
export function useArticle(id: number | null) {
  return useQuery({ ...articleQuery(id ?? 0), enabled: id !== null });
}

/** Search hits for the reply's article picker (nothing is asked for an empty text). */
export function useArticleSearch(q: string) {
  return useQuery({
    queryKey: articleKeys.search(q),
    queryFn: ({ signal }) => call('searchArticles', { query: { q, limit: 8 }, signal }),
    select: (answer) => answer.results,
    enabled: q !== '',
  });
}

/** Creating, editing, publishing and deleting: the lists, the article and the search follow. */
export function useArticleMutations() {
  const client = useQueryClient();
  const saved = (article: ArticleDto) => {
    client.setQueryData(articleKeys.detail(article.id), article);
    void client.invalidateQueries({ queryKey: articleKeys.lists() });
    void client.invalidateQueries({ queryKey: [...articleKeys.all, 'search'] });
  };
  return {
    create: useMutation({
      mutationFn: (body: BodyOf<'createArticle'>) => call('createArticle', { body }),
      onSuccess: saved,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: BodyOf<'updateArticle'> }) =>
        call('updateArticle', { params: { id }, body }),
      onSuccess: saved,
    }),
    setPublished: useMutation({
      mutationFn: ({ id, publish }: { id: number; publish: boolean }) =>
        call(publish ? 'publishArticle' : 'unpublishArticle', { params: { id } }),
      onSuccess: saved,
    }),
    remove: useMutation({
      mutationFn: (id: number) => call('deleteArticle', { params: { id } }),
      onSuccess: (_answer, id) => {
        client.removeQueries({ queryKey: articleKeys.detail(id) });
        void client.invalidateQueries({ queryKey: articleKeys.all });
      },
    }),
  };
}
