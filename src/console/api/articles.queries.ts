import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ArticleDto, ArticleSearchHit } from '../../shared/api/articles';
import { pathOf } from '../../shared/api/endpoint-routes';
import { api, type Query } from './http';

export const articleKeys = {
  all: ['articles'] as const,
  lists: () => [...articleKeys.all, 'list'] as const,
  list: (query: Query) => [...articleKeys.lists(), query] as const,
  detail: (id: number) => [...articleKeys.all, 'detail', id] as const,
  search: (q: string) => [...articleKeys.all, 'search', q] as const,
};

/** The knowledge base as the admin lists it; the last answer stays on screen while a new search loads. */
export function useArticles(query: Query) {
  return useQuery({
    queryKey: articleKeys.list(query),
    queryFn: ({ signal }) =>
      api.get<{ articles: ArticleDto[]; total: number }>(pathOf('listArticles'), query, { signal }),
    placeholderData: keepPreviousData,
  });
}

export function articleQuery(id: number) {
  return queryOptions({
    queryKey: articleKeys.detail(id),
    queryFn: ({ signal }) => api.get<ArticleDto>(pathOf('getArticle', { id }), undefined, { signal }),
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
    queryFn: ({ signal }) =>
      api.get<{ results: ArticleSearchHit[] }>(pathOf('searchArticles'), { q, limit: 8 }, { signal }),
    select: (answer) => answer.results,
    enabled: q !== '',
  });
}

type ArticleFields = Record<string, unknown>;

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
      mutationFn: (body: ArticleFields) => api.post<ArticleDto>(pathOf('createArticle'), body),
      onSuccess: saved,
    }),
    update: useMutation({
      mutationFn: ({ id, body }: { id: number; body: ArticleFields }) =>
        api.patch<ArticleDto>(pathOf('updateArticle', { id }), body),
      onSuccess: saved,
    }),
    setPublished: useMutation({
      mutationFn: ({ id, publish }: { id: number; publish: boolean }) =>
        api.post<ArticleDto>(pathOf(publish ? 'publishArticle' : 'unpublishArticle', { id })),
      onSuccess: saved,
    }),
    remove: useMutation({
      mutationFn: (id: number) => api.delete(pathOf('deleteArticle', { id })),
      onSuccess: (_answer, id) => {
        client.removeQueries({ queryKey: articleKeys.detail(id) });
        void client.invalidateQueries({ queryKey: articleKeys.all });
      },
    }),
  };
}
